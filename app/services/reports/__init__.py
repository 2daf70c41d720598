"""Anonymous usage reports: periods, counts, disclosure control and the PDF and CSV."""
