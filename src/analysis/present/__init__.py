"""What readers see: tables, Markdown tables, chapter helpers and figures."""
