"""Allow ``python -m policycorpus``."""

from policycorpus.cli.main import main

if __name__ == "__main__":
    main()
