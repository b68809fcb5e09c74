print("paylater")
