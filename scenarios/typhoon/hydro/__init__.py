"""Rain-driven hazards of a typhoon: runoff, river routing and stage, inundation, landslides, Natech."""
