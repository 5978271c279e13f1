"""Global Privacy Control: is the signal honored, is that shown, what the visit with GPC on showed, and what
``/.well-known/gpc.json`` says.
"""
