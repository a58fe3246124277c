"""BTF: parsing (all kinds, split BTF), encoding, .BTF.ext, dumps and C names.

Modules: ``parse`` (``Btf``: validating lazy parser and type navigation), ``encode`` (records
back to bytes), ``ext`` (.BTF.ext), ``cache`` (``load_btf``: BTF read through a content-hash
cache), ``dump`` (bpftool's raw format), ``cnames`` (C declarations), ``layout``
(``members_at``), ``elf`` (.BTF/.BTF.ext from an object).

Kernel naming, for verifier messages: ``btf_type_str(t)`` is ``btf_kind_str[kind]`` (``INT``,
``STRUCT``, ..., ``UNKNOWN`` for kind 0 / void); messages such as ``kernel function %s args#%d
expected pointer to %s %s but R%d has a pointer to %s %s`` pair it with the type's name after
``btf_type_skip_modifiers()``, which skips typedefs too (``Btf.resolve``), giving ``STRUCT
task_struct`` (``Btf.type_str``). Register types print as ``reg_type_str()`` prefixes
(``ptr_``, ``trusted_ptr_``, ``rcu_ptr_``...) followed by ``btf_type_name()`` — the bare name
(``Btf.type_name``) — e.g. ``R1=ptr_task_struct``; that prefix table belongs to the verifier.
"""

from kfcheck.btf.cache import load_btf
from kfcheck.btf.parse import Btf
from kfcheck.btf.types import BtfType, EnumValue, Kind, Member, Param, VarSecinfo

__all__ = ["Btf", "load_btf", "BtfType", "EnumValue", "Kind", "Member", "Param", "VarSecinfo"]
