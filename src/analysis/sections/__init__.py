"""One module per section of the article: the analyses the chapters call."""
