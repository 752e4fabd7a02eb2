"""Studies of the warehouse's methods, run as scripts (python studies/<name>.py); a package so that a
study's parts import as studies.<module>."""
