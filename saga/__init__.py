"""Domain core of the saga app: models, rules, errors, services and ports. Imports no azure.*."""
