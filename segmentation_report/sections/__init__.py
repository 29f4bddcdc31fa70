"""The report's sections: one function per section, each reading its marts."""
