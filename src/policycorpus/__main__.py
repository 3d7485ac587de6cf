"""Allow ``python -m policycorpus``."""

from policycorpus.cli import main

if __name__ == "__main__":
    main()
