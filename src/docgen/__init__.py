"""docgen: contracts, forms and service reports for IT-outsourcing vendor management."""

__version__ = "0.1.0"
