"""The shipped rule base (data only). Installed as the package `fmadvisor.rulebase`."""
