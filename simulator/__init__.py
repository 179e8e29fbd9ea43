"""kefu (客服): a training simulator for customer-service staff."""

__version__ = "0.1.0"
