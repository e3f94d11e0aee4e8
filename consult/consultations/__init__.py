"""The consultation, its ordered phases and the phase gates every other area uses."""
