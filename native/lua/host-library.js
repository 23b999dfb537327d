// The engine's imports (reddish_lua.c's extern host_* functions), forwarded
// to the host object src/scripting/lua-engine.ts installs on the module.
mergeInto(LibraryManager.library, {
  host_call: function (pairs, argc, resp) {
    return Module['reddishHost'].call(pairs, argc, resp);
  },
  host_log: function (level, msg, len) {
    Module['reddishHost'].log(level, msg, len);
  },
  host_set_repl: function (flags) {
    Module['reddishHost'].setRepl(flags);
  },
  host_acl_check: function (pairs, argc) {
    return Module['reddishHost'].aclCheck(pairs, argc);
  },
  host_interrupt: function () {
    return Module['reddishHost'].interrupt();
  },
});
