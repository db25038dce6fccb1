"""考核: weighted indicator scores per town and department for the 平安建设考评."""
