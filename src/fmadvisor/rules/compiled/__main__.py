"""`python -m fmadvisor.rules.compiled`: rebuild the compiled shipped profiles."""

from fmadvisor.rules.compiled import build

for path in build():
    print(f"wrote {path}")
