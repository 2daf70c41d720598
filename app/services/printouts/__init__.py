"""The PDF toolkit every printed document uses, and sending a PDF to a printer."""
