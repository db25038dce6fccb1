"""Sanling (三零): the platform for the zero-petition, zero-accident, zero-case campaign."""
