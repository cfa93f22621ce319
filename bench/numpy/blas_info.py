"""Which BLAS library, kernel (core type) and thread count this numpy really runs.

threadpoolctl when installed; otherwise ask OpenBLAS itself through ctypes (the wheels ship it
as numpy.libs/libscipy_openblas64_*.so with prefixed/suffixed symbol names); otherwise the
build configuration from numpy.show_config(). The OPENBLAS_* variables in force are recorded
too, since they change the kernel (OPENBLAS_CORETYPE) and the blocking (OPENBLAS_L2_SIZE).
"""
import ctypes
import glob
import os

import numpy as np

ENV_KEYS = ('OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE', 'OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS')


def _from_threadpoolctl():
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return None
    for info in threadpool_info():
        if info.get('user_api') == 'blas':
            return {'source': 'threadpoolctl', 'library': info.get('internal_api'), 'version': info.get('version'),
                    'coretype': info.get('architecture'), 'threads': info.get('num_threads')}
    return None


def _symbol(lib, stem):
    for prefix in ('scipy_', ''):
        for suffix in ('64_', '_64', ''):
            fn = getattr(lib, f'{prefix}{stem}{suffix}', None)
            if fn is not None:
                return fn
    return None


def _from_openblas_ctypes():
    libdir = os.path.join(os.path.dirname(np.__file__), os.pardir, 'numpy.libs')
    for path in glob.glob(os.path.join(libdir, '*openblas*')):
        try:
            lib = ctypes.CDLL(path)  # already loaded by numpy: dlopen returns the same handle
        except OSError:
            continue
        core, config, threads = (_symbol(lib, s) for s in ('openblas_get_corename', 'openblas_get_config', 'openblas_get_num_threads'))
        if core is None:
            continue
        core.restype = ctypes.c_char_p
        out = {'source': 'openblas (ctypes)', 'library': 'openblas', 'coretype': core().decode()}
        if config is not None:
            config.restype = ctypes.c_char_p
            out['version'] = config().decode()
        if threads is not None:
            out['threads'] = int(threads())
        return out
    return None


def _from_show_config():
    try:
        cfg = np.show_config(mode='dicts')
        blas = cfg['Build Dependencies']['blas']
        return {'source': 'numpy.show_config', 'library': blas.get('name'), 'version': blas.get('version'),
                'coretype': blas.get('openblas configuration')}
    except Exception as e:  # old numpy: no mode='dicts'
        return {'source': 'unknown', 'error': str(e)}


def blas_info():
    info = _from_threadpoolctl() or _from_openblas_ctypes() or _from_show_config()
    info['env'] = {k: os.environ.get(k) for k in ENV_KEYS}
    return info
