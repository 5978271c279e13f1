"""The many-sites benchmark: generated fixture sites served on loopback, audited at several concurrencies."""
