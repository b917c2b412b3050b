"""(skeleton: the owning area fills it)"""
