"""The segmentation model's life across builds: fit or score, versions, stable segment
identities, the drift baseline and publishing the marts of a successful build."""
