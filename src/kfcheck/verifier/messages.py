"""The kernel verifier's error messages: one registry of format strings with stable codes.

The strings are the kernel's (``kernel/bpf/verifier.c``), an interface reproduced exactly so a
verdict's error line can be compared with the kernel's. Rules raise ``Reject(code, *args)``;
text, JSON and SARIF all render from the registry.
"""

from __future__ import annotations

from enum import Enum

from kfcheck import errors


class Msg(Enum):
    """A kernel verifier message: the code is the name, the value its format string."""

    # control flow (check_cfg, do_check)
    JUMP_OUT_OF_RANGE = "jump out of range from insn {} to {}"
    UNREACHABLE = "unreachable insn {}"
    JUMP_INTO_LDIMM64 = "jump into the middle of ldimm64 insn {}"
    RELEASE_OFFSET = "R{} must have zero offset when passed to release func or trusted arg to kfunc"
    LAST_NOT_EXIT = "last insn is not an exit or jmp"
    INFINITE_LOOP = "infinite loop detected at insn {}"
    TOO_LARGE = "BPF program is too large. Processed {} insn"
    JMP_SEQ = "The sequence of {} jumps is too complex."
    INVALID_INSN_IDX = "invalid insn idx {} insn_cnt {}"
    # registers
    NOT_READ_OK = "R{} !read_ok"
    FP_READ_ONLY = "frame pointer is read only"
    LEAKS_RETURN = "R{} leaks addr as return value"
    # return values
    RETVAL_NOT_KNOWN = "{} the register R{} is not a known value ({})"
    RETVAL_RANGE = "{} the register R{} has{} should have been in [{}, {}]"
    SUBPROG_RET_NOT_SCALAR = "At subprogram exit the register R{} is not a scalar value ({})"
    # memory access
    INVALID_MEM_ACCESS = "R{} invalid mem access '{}'"
    STACK_READ = "invalid read from stack off {}+{} size {}"
    STACK_READ_VAR = "invalid read from stack R{} var_off {}+{} size {}"
    STACK_OFF_ANY = "invalid{} stack R{} off={} size={}"
    STACK_VAR_OFF = "invalid variable-offset{} stack R{} var_off={} off={} size={}"
    STACK_VAR_UNBOUNDED = "invalid unbounded variable-offset{} stack R{}"
    MISALIGNED = "misaligned {}access off {}+{}+{} size {}"
    SPILL_SIZE = "invalid size of register spill"
    FILL_SIZE = "invalid size of register fill"
    MAP_VALUE_ACCESS = "invalid access to map value, value_size={} off={} size={}"
    MAP_WRITE_FORBIDDEN = "write into map forbidden, value_size={} off={} size={}"
    MAP_READ_FORBIDDEN = "read from map forbidden, value_size={} off={} size={}"
    MEM_ACCESS = "invalid access to memory, mem_size={} off={} size={}"
    FIELD_DIRECT = "{} cannot be accessed directly by load/store"
    # kptrs in map values (check_map_access, check_map_kptr_access, process_kptr_func)
    KPTR_INDIRECT = "kptr cannot be accessed indirectly by helper"
    KPTR_VAR_OFF = "kptr access cannot have variable offset"
    KPTR_MISALIGNED = "kptr access misaligned expected={} off={}"
    KPTR_SIZE = "kptr access size must be BPF_DW"
    KPTR_MODE = "kptr in map can only be accessed using BPF_MEM instruction mode"
    KPTR_STORE_REF = "store to referenced kptr disallowed"
    KPTR_ST_IMM = "BPF_ST imm must be 0 when storing to kptr at off={}"
    KPTR_BAD_TYPE = "invalid kptr access, R{} type={}{} expected=ptr_{}{}"
    KPTR_NO_BTF = "map '{}' has to have BTF in order to use bpf_kptr_xchg"
    KPTR_CONST_OFF = "R{} doesn't have constant offset. kptr has to be at the constant offset"
    KPTR_NONE = "R{} has no valid kptr"
    KPTR_NOT_AT = "off={} doesn't point to kptr"
    KPTR_NOT_REF = "off={} kptr isn't referenced kptr"
    CANNOT_WRITE = "R{} cannot write into {}"
    SOCK_ACCESS = "R{} invalid {} access off={} size={}"
    CANNOT_WRITE_PACKET = "cannot write into packet"
    MIN_OUTSIDE = "R{} min value is outside of the allowed memory range"
    MAX_OUTSIDE = "R{} max value is outside of the allowed memory range"
    UNBOUNDED_ACCESS = "R{} unbounded memory access, make sure to bounds check any such access"
    MIN_NEGATIVE = ("R{} min value is negative, either use unsigned index or do a if (index >=0) "
                    "check.")
    PACKET_ACCESS = "invalid access to packet, off={} size={}, R{}(id={},off={},r={})"
    PACKET_OUTSIDE = "R{} offset is outside of the packet"
    PACKET_WRITE = "the prog does not allow writes to packet data"
    CTX_ACCESS = "invalid bpf_context access off={} size={}"
    CTX_VAR_OFF = "variable ctx access var_off={} off={} size={}"
    CTX_NEGATIVE = "negative offset {} ptr R{} off={} disallowed"
    CTX_MODIFIED = "dereference of modified {} ptr R{} off={} disallowed"
    LEAKS_INTO = "R{} leaks addr into {}"
    GPL_ONLY_HELPER = "cannot call GPL-restricted function from non-GPL compatible program"
    TAIL_CALL_MAP = "expected prog array map for tail call"  # printed without a newline
    MAP_TYPE_INTO_FUNC = "cannot pass map_type {} into func {}#{}"
    ATOMIC_NOT_ALLOWED = "BPF_ATOMIC stores into R{} {} is not allowed"
    ONLY_READ = "only read is supported"
    # pointer arithmetic
    PTR_ARITH_NULL = "R{} pointer arithmetic on {} prohibited, null-check it first"
    PTR_ARITH = "R{} pointer arithmetic on {} prohibited"
    PTR_MATH_UNBOUNDED = ("math between {} pointer and register with unbounded min value is "
                          "not allowed")
    PTR_MATH_BIG = "math between {} pointer and {} is not allowed"
    PTR_OUT_OF_BOUNDS = "value {} makes {} pointer be out of bounds"
    PTR_SUB_FROM_SCALAR = "R{} tried to subtract pointer from scalar"
    PTR_BITWISE = "R{} bitwise operator {} on pointer prohibited"
    PTR_OPERATOR = "R{} pointer arithmetic with {} operator prohibited"
    PTR_ARITH_ANY = "R{} pointer arithmetic prohibited"
    PTR_PTR = "R{} pointer {} pointer prohibited"
    PTR_OFFSET = "{} pointer offset {} is not allowed"
    STACK_SUB = "R{} subtraction from stack pointer prohibited"
    INVALID_SHIFT = "invalid shift {}"
    PTR_32BIT = "R{} 32-bit pointer arithmetic prohibited"
    DIV_BY_ZERO = "div by zero"
    # calls
    INVALID_FUNC = "invalid func {}#{}"
    HELPER_PROG_TYPE = "program of this type cannot use helper {}#{}"
    ARG_TYPE = "R{} type={} expected={}"
    NULL_TO_HELPER = "Possibly NULL pointer passed to helper arg{}"
    UNRELEASED = "Unreleased reference id={} alloc_insn={}"
    LEAK = "{} would lead to reference leak"
    RELEASE_UNREFERENCED = "R{} must be referenced when passed to release function"
    SIZE_NEGATIVE = "R{} min value is negative, either use unsigned or 'var &= const'"
    SIZE_ZERO = "R{} invalid zero-sized read: u64=[{},{}]"
    ZERO_SIZED_READ = "invalid zero-sized read"
    NOT_RDONLY_MAP = "R{} does not point to a readonly map'"
    NOT_CONST_ADDRESS = "R{} is not a constant address'"
    CONST_STR_DIRECT = "direct value access on string failed"
    STR_NOT_TERMINATED = "string is not zero-terminated"
    SIZE_UNBOUNDED = "R{} unbounded memory access, use 'var &= const' or 'if (var < const)'"
    NOT_KNOWN_CONSTANT = "R{} is not a known constant'"
    LOCK_VAR_OFF = ("R{} doesn't have constant offset. bpf_spin_lock has to be at the constant "
                    "offset")
    LOCK_NO_FIELD = "map '{}' has no valid bpf_spin_lock"
    TIMER_VAR_OFF = ("R{} doesn't have constant offset. bpf_timer has to be at the constant "
                     "offset")
    TIMER_NO_FIELD = "map '{}' has no valid bpf_timer"
    TIMER_OFFSET = "off {} doesn't point to 'struct bpf_timer' that is at {}"
    TIMER_MAP_MISMATCH = "timer pointer in R1 map_uid={} doesn't match map pointer in R2 map_uid={}"
    LOCK_OFFSET = "off {} doesn't point to 'struct bpf_spin_lock' that is at {}"
    LOCK_DIFFERENT = "bpf_spin_unlock of different lock"
    EXIT_LEAK = "BPF_EXIT instruction in main prog would lead to reference leak"
    IN_REGION = "{} cannot be used inside {}-ed region"  # check_resource_leak: what, region
    CALL_IN_LOCK = "function calls are not allowed while holding a lock"
    LOCK_WITHOUT = "bpf_spin_unlock without taking a lock"
    LOCK_TWICE = "Locking two bpf_spin_locks are not allowed"
    LOCK_DIRECT = "bpf_spin_lock cannot be accessed directly by load/store"
    TRACING_SPIN_LOCK = "tracing progs cannot use bpf_spin_lock yet"
    TRACING_GRAPH = "tracing progs cannot use bpf_{{list_head,rb_root}} yet"
    TRACING_TIMER = "tracing progs cannot use bpf_timer yet"
    TRACING_WQ = "tracing progs cannot use bpf_wq yet"
    SLEEPABLE_MAP = ("Sleepable programs can only use array, hash, ringbuf and local storage "
                     "maps, also as inner maps")
    SOCKET_FILTER_LOCK = "socket filter progs cannot use bpf_spin_lock yet"
    # subprograms (check_func_call, prepare_func_exit, check_max_stack_depth)
    COMBINED_STACK = "combined stack size of {} calls is {}. Too large"
    CALL_STACK_TOO_DEEP = "the call stack of {} frames is too deep"
    CALLBACK_NOT_STATIC = "callback function not static"
    CALLBACK_R0_NOT_SCALAR = "R0 not a scalar value"
    MISSING_FUNC_INFO = "missing btf func_info"
    CHANGE_KEY = "write to change key R{} not allowed"
    MAP_KEY_ACCESS = "invalid access to map key, key_size={} off={} size={}"
    THROW_IN_CALLBACK = "bpf_throw kfunc (insn {}) cannot be called from callback subprog {}"
    CALL_STACK_TOO_DEEP_BANG = "the call stack of {} frames is too deep !"
    RETURN_STACK_PTR = "cannot return stack pointer to the caller"
    CALLER_INVALID_ARGS = "Caller passes invalid args into func#{} ('{}')"
    GLOBAL_IN_LOCK = "use static function instead"  # after "global function calls are not
    # allowed while holding a lock," on the line before
    GLOBAL_IN_LOCK_BEFORE = "global function calls are not allowed while holding a lock,"
    # kernel BTF pointers (check_ptr_to_btf_access, btf_struct_walk)
    BTF_NON_GPL = "Cannot access kernel 'struct {}' from non-GPL compatible program"
    BTF_NEGATIVE = "R{} is ptr_{} invalid negative access: off={}"
    BTF_VAR_OFFSET = "R{} is ptr_{} invalid variable offset: off={}, var_off={}"
    BTF_USER = "R{} is ptr_{} access user memory: off={}"
    BTF_PERCPU = "R{} is ptr_{} access percpu memory: off={}"
    BTF_NOT_STRUCT = "Type '{}' is not a struct"
    BTF_BEYOND_STRUCT = "access beyond struct {} at off {} size {}"
    BTF_FIELD_NO_SIZE = "field {} doesn't have size"
    BTF_PTR_MEMBER = "cannot access ptr member {} with moff {} in struct {} with off {} size {}"
    BTF_BEYOND_MEMBER = ("access beyond the end of member {} (mend:{}) in struct {} with off {} "
                         "size {}")
    BTF_NO_FIELD = "struct {} doesn't have field at offset {}"
    # kfunc calls (check_kfunc_call, check_kfunc_args)
    KFUNC_NOT_ALLOWED = "calling kernel function {} is not allowed"
    KFUNC_SLEEPABLE_PROG = "program must be sleepable to call sleepable kfunc {}"
    KFUNC_SLEEPABLE_IN = "kernel func {} is sleepable within {}"
    KFUNC_RCU_PROTECTED = "kernel func {} requires RCU critical section protection"
    KFUNC_NOT_ACQUIRED = "kfunc {}#{} reference has not been acquired before"
    KFUNC_RCU_NESTED = "nested rcu read lock (kernel function {})"
    KFUNC_RCU_UNMATCHED = "unmatched rcu read unlock (kernel function {})"
    KFUNC_PREEMPT_UNMATCHED = "unmatched attempt to enable preemption (kernel function {})"
    KFUNC_TOO_MANY_ARGS = "Function {} has {} > {} args"
    KFUNC_RELEASE_UNREF = "release kernel function {} expects refcounted PTR_TO_BTF_ID"
    KFUNC_NOT_SCALAR = "R{} is not a scalar"
    KFUNC_NOT_CONST = "R{} must be a known constant"
    KFUNC_NULL_ARG = "Possibly NULL pointer passed to trusted arg{}"
    KFUNC_PTR_TYPE = "kernel function {} args#{} pointer type {} {} is not supported"
    KFUNC_NOT_SCALAR_MEM = "arg#{} pointer type {} {} must point to {}scalar, or struct with scalar"
    KFUNC_MEM_PAIR = "arg#{} arg#{} memory, len pair leads to invalid memory access"
    KFUNC_NOT_TRUSTED = "R{} must be referenced or trusted"
    KFUNC_NOT_RCU = "R{} must be a rcu pointer"
    KFUNC_ARG_TYPE = ("kernel function {} args#{} expected pointer to {} {} but R{} has a pointer "
                      "to {} {}")
    KFUNC_ARG_NOT_BTF = "arg#{} is {} expected {} or socket"
    KFUNC_NESTING = "max struct nesting depth exceeded"
    KFUNC_CTX_ARG = "arg#{} expected pointer to ctx, but got {}"
    KFUNC_RET_TYPE = "kernel function {} returns pointer type {} {} is not supported"
    KFUNC_ACQUIRE_NOT_BTF = "acquire kernel function does not return PTR_TO_BTF_ID"
    KFUNC_CALLBACK_ARG = "arg{} expected pointer to func"
    KFUNC_CALLBACK_FAILED = "kfunc {}#{} failed callback verification"
    SLEEPABLE_CB_PROG = "sleepable callback in a program that is not sleepable"
    RBTREE_CB_NOT_ALLOWED = "{} not allowed in rbtree cb"
    RBTREE_CB_SPIN = "can't spin_{{lock,unlock}} in rbtree cb"
    MAP_FIELD_NOT_MAP_VALUE = "arg#{} doesn't point to a map value"
    MAP_FIELD_NO_BTF = "map '{}' has to have BTF in order to use {}"
    MAP_FIELD_MISSING = "map '{}' has no valid {}"
    MAP_FIELD_OFFSET = "off {} doesn't point to 'struct {}' that is at {}"
    WQ_MAP_MISMATCH = ("workqueue pointer in R1 map_uid={} doesn't match map pointer in R2 "
                       "map_uid={}")
    TASK_WORK_MAP_MISMATCH = ("bpf_task_work pointer in R2 map_uid={} doesn't match map pointer "
                              "in R3 map_uid={}")
    KFUNC_TRAP = "unexpected __bpf_trap() due to uninitialized variable?"
    KFUNC_DEV_BOUND = "metadata kfuncs require device-bound program"
    # program-allocated objects (check_special_kfunc, KF_ARG_PTR_TO_ALLOC_BTF_ID)
    OBJ_NEW_RANGE = "local type ID argument must be in range [0, U32_MAX]"
    OBJ_NEW_NO_BTF = "bpf_obj_new/bpf_percpu_obj_new requires prog BTF"
    OBJ_NEW_NOT_STRUCT = "bpf_obj_new/bpf_percpu_obj_new type ID argument must be of a struct"
    PERCPU_OBJ_TOO_BIG = "bpf_percpu_obj_new type size ({}) is greater than {}"
    PERCPU_OBJ_NOT_SCALARS = "bpf_percpu_obj_new type ID argument must be of a struct of scalars"
    PERCPU_OBJ_SPECIAL = "bpf_percpu_obj_new type ID argument must not contain special fields"
    ALLOC_EXPECTED_DROP = "arg#{} expected for bpf_obj_drop()"
    ALLOC_EXPECTED_PERCPU_DROP = "arg#{} expected for bpf_percpu_obj_drop()"
    ALLOC_EXPECTED = "arg#{} expected pointer to allocated object"
    ALLOC_NOT_REFERENCED = "allocated object must be referenced"
    DIRECT_ACCESS = "direct access to {} is disallowed"
    REFCOUNTED_NOT_REF = "arg#{} is neither owning or non-owning ref"
    REFCOUNTED_NO_FIELD = "arg#{} doesn't point to a type with bpf_refcount field"
    BUG_NO_RECORD = "verifier bug: Couldn't find btf_record"
    # bpf_list_head / bpf_rb_root and their nodes (__process_kf_arg_ptr_to_graph_root/_node)
    GRAPH_ROOT_ARG = "arg#{} expected pointer to map value or allocated object"
    GRAPH_VAR_OFF = "R{} doesn't have constant offset. {} has to be at the constant offset"
    GRAPH_NOT_FOUND = "{} not found at offset={}"
    GRAPH_LOCK = "bpf_spin_lock at off={} must be held for {}"
    GRAPH_LOCK_OTHER = "held lock and object are not in the same allocation"
    GRAPH_NODE_TYPE = ("operation on {} expects arg#1 {} at offset={} in struct {}, but arg is "
                       "at offset={} in struct {}")
    GRAPH_NODE_OFF = "arg#1 offset={}, but expected {} at offset={} in struct {}"
    GRAPH_NODE_REF = "{} can only take non-owning or refcounted bpf_rb_node pointer"
    # saved irq flags (process_irq_flag)
    IRQ_NOT_STACK = "arg#{} doesn't point to an irq flag on stack"
    IRQ_EXPECTED_UNINIT = "expected uninitialized irq flag as arg#{}"
    IRQ_EXPECTED_INIT = "expected an initialized irq flag as arg#{}"
    IRQ_OUT_OF_ORDER = ("cannot restore irq state out of order, expected id={} acquired at "
                        "insn_idx={}")
    # open-coded iterators (process_iter_arg)
    ITER_NOT_STACK = "arg#{} expected pointer to an iterator on stack"
    ITER_NOT_VALID = "expected valid iter pointer as arg #{}"
    ITER_EXPECTED_UNINIT = "expected uninitialized iter_{} as arg #{}"
    # dynptrs (process_dynptr_func, stack_slot_obj_get_spi, destroy_if_dynptr_stack_slot)
    DYNPTR_NOT_STACK = "arg#{} expected pointer to stack or const struct bpf_dynptr"
    DYNPTR_VAR_OFF = "dynptr has to be at a constant offset"
    DYNPTR_OFFSET = "cannot pass in dynptr at an offset={}"
    DYNPTR_NOT_UNINIT = "Dynptr has to be an uninitialized dynptr"
    DYNPTR_NOT_INIT = "Expected an initialized dynptr as arg #{}"
    DYNPTR_TYPE = "Expected a dynptr of type {} as arg #{}"
    DYNPTR_OVERWRITE_REF = "cannot overwrite referenced dynptr"
    DYNPTR_UNACQUIRED = "arg {} is an unacquired reference"
    DYNPTR_CONST_RELEASE = "cannot release unowned const bpf_dynptr"
    DYNPTR_RAW_WRITE = "potential write to dynptr at off={} disallowed"
    DYNPTR_FROM_MEM_DATA = "Unsupported reg type {} for bpf_dynptr_from_mem data"
    PKT_WRITE_FORBIDDEN = "the prog does not allow writes to packet data"
    KFUNC_REFUSED = "{}() is not allowed"
    ITER_EXPECTED_INIT = "expected an initialized iter_{} as arg #{}"
    ITER_RCU = "expected an RCU CS when using {}"
    CSS_TASK_ITER = "css_task_iter is only allowed in bpf_lsm, bpf_iter and sleepable progs"
    # resilient spin locks (process_spin_lock with PROCESS_RES_LOCK)
    RES_LOCK_NOT_MAP = "arg#{} doesn't point to map value or allocated object"
    RES_LOCK_VAR_OFF = ("R{} doesn't have constant offset. bpf_res_spin_lock has to be at the "
                        "constant offset")
    RES_LOCK_NO_FIELD = "map '{}' has no valid bpf_res_spin_lock"
    RES_LOCK_OFFSET = "off {} doesn't point to 'struct bpf_res_spin_lock' that is at {}"
    RES_LOCK_AA = "Acquiring the same lock again, AA deadlock detected"
    RES_LOCK_WITHOUT = "bpf_res_spin_unlock without taking a lock"
    RES_LOCK_DIFFERENT = "bpf_res_spin_unlock of different lock"
    RES_LOCK_OUT_OF_ORDER = "bpf_res_spin_unlock cannot be out of order"
    IRQ_CLASS = "irq flag acquired by {} kfuncs cannot be restored with {} kfuncs"
    # offline only
    UNSUPPORTED = "unsupported: {}"

    def format(self, *args: object) -> str:
        """The message with its arguments, as the kernel prints it (without newline)."""
        return self.value.format(*args)


# check_resource_leak's prefixes and regions (arguments of LEAK and IN_REGION)
EXIT_PREFIX = "BPF_EXIT instruction in main prog"
THROW_PREFIX = "bpf_throw"
TAIL_CALL_PREFIX = "tail_call"
SPIN_LOCK_REGION = "bpf_spin_lock"
IRQ_REGION = "bpf_local_irq_save"
RCU_REGION = "bpf_rcu_read_lock"
PREEMPT_REGION = "bpf_preempt_disable"


class Reject(Exception):
    """The program is rejected: ``msg`` with ``args``, at instruction ``insn``; ``before`` is
    a line the kernel logs just before the error line (the error line is the last)."""

    def __init__(self, msg: Msg, *args: object, insn: int | None = None,
                 before: str = "") -> None:
        super().__init__(msg.format(*args))
        self.msg = msg
        self.text = msg.format(*args)
        self.insn = insn
        self.before = before


class Unsupported(errors.Unsupported):
    """kfcheck cannot judge the program: what it does not model yet."""

    def __init__(self, what: str, insn: int | None = None) -> None:
        super().__init__(what)
        self.what = what
        self.insn = insn
