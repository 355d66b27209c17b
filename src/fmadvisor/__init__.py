"""fmadvisor: pick a pre-trained foundation model and the way to customize it.

The pipeline is spec -> catalog -> rules -> scoring -> strategy -> report; the CLI is a thin door
in front of it (see README, "Design").
"""

__version__ = "0.1.0"
