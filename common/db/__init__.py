"""The project's database backends: Django's own, subclassed where the project needs them to do less."""
