"""The chapters on the article's sections 4 to 6: audiences (``audiences``), success, failure and consequences
(``consequences``)."""
