"""Compiled kernels: one module per engine layer module, each imported only where jit.active (they load numba)."""
