"""newswatch: watch news feeds for entities and the claims made about them."""

__version__ = "0.1.0"
