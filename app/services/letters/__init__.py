"""Letters about families: templates, the letterhead and the PDF."""
