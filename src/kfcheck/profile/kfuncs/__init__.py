"""The kfunc table: schema, loader, families, compiled lookups, generated C."""

from kfcheck.profile.kfuncs.btfview import KfuncBtf, from_btf
from kfcheck.profile.kfuncs.loader import load_table_file
from kfcheck.profile.kfuncs.schema import Family, Hook, KfFlag, KfuncSpec, TableFile
from kfcheck.profile.kfuncs.table import KfuncTable

__all__ = [
    "Family",
    "Hook",
    "KfFlag",
    "KfuncBtf",
    "KfuncSpec",
    "KfuncTable",
    "TableFile",
    "from_btf",
    "load_table_file",
]
