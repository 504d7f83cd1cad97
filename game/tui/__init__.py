"""The Textual app: screens, widgets and one stylesheet. It shows the engine's state and sends orders back."""
