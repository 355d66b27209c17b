"""Text templates shipped with fmadvisor (the starter spec)."""
