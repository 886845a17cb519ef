"""The rules of the domain. Services take a connection, validate, call the repository and
return plain data; they never print and never exit."""
