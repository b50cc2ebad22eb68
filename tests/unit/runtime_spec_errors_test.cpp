// config.json that pod-runtime must refuse, and the message that says where the problem is.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "libcore/oci/runtime_spec.hpp"
#include "tests/unit/test_support.hpp"

using pod::core::oci::parse_runtime_spec;
using pod::test::kind_of_failure;

namespace {

// A small valid config; each bad case is a JSON merge patch (RFC 7396) on it: objects
// merge, arrays and scalars replace, null deletes.
const char* const kBase = R"({
  "ociVersion": "1.2.0",
  "process": {"args": ["sh"], "cwd": "/", "user": {"uid": 0, "gid": 0},
              "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}]},
  "root": {"path": "rootfs"},
  "hostname": "box",
  "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"}],
  "linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}, {"type": "uts"}, {"type": "user"}],
            "uidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}]}
})";

std::string patched(const std::string& patch) {
  auto doc = nlohmann::json::parse(kBase);
  doc.merge_patch(nlohmann::json::parse(patch));
  return doc.dump();
}

struct BadCase {
  std::string name;
  std::string patch;  // empty: `raw` is the whole document
  std::string message;
  std::string raw = "";
};

}  // namespace

TEST_CASE("the base of the bad cases is valid", "[runtime_spec]") { CHECK_NOTHROW(parse_runtime_spec(kBase)); }

TEST_CASE("parse_runtime_spec rejects bad config.json naming the field", "[runtime_spec]") {
  const auto c = GENERATE(values<BadCase>({
      {"malformed JSON", "", "parsing runtime config: malformed JSON", R"({"ociVersion":)"},
      {"top-level array", "", "parsing runtime config: expected a JSON object, got array", "[]"},
      {"missing ociVersion", R"({"ociVersion":null})", "field `ociVersion`: missing"},
      {"ociVersion a number", R"({"ociVersion":1})", "field `ociVersion`: expected a string, got number"},
      {"ociVersion 2", R"({"ociVersion":"2.0.0"})", "field `ociVersion`: unsupported version `2.0.0`: expected 1.x"},
      {"missing root", R"({"root":null})", "field `root`: missing"},
      {"root without path", R"({"root":{"path":null,"readonly":true}})", "field `root.path`: missing"},
      {"root.readonly a string", R"({"root":{"readonly":"yes"}})",
       "field `root.readonly`: expected a boolean, got string"},
      {"process an array", R"({"process":[]})", "field `process`: expected an object, got array"},
      {"args missing", R"({"process":{"args":null}})", "field `process.args`: missing"},
      {"args empty", R"({"process":{"args":[]}})", "field `process.args`: must not be empty"},
      {"args with a number", R"({"process":{"args":["sh",1]}})",
       "field `process.args`: expected an array of strings, found a number"},
      {"cwd missing", R"({"process":{"cwd":null}})", "field `process.cwd`: missing"},
      {"cwd relative", R"({"process":{"cwd":"app"}})", "field `process.cwd`: expected an absolute path, got `app`"},
      {"terminal a string", R"({"process":{"terminal":"true"}})",
       "field `process.terminal`: expected a boolean, got string"},
      {"uid negative", R"({"process":{"user":{"uid":-1}}})", "field `process.user.uid`: must not be negative"},
      {"uid above 32 bits", R"({"process":{"user":{"uid":4294967296}}})",
       "field `process.user.uid`: out of range for a 32-bit value"},
      {"gid missing", R"({"process":{"user":{"gid":null}}})", "field `process.user.gid`: missing"},
      {"additionalGids with a string", R"({"process":{"user":{"additionalGids":[1,"wheel"]}}})",
       "field `process.user.additionalGids`: expected an array of integers, found a string"},
      {"additionalGids negative", R"({"process":{"user":{"additionalGids":[1,-2]}}})",
       "field `process.user.additionalGids[1]`: out of range for a 32-bit value"},
      {"consoleSize.width a float", R"({"process":{"consoleSize":{"height":1,"width":1.5}}})",
       "field `process.consoleSize.width`: expected an integer, got number"},
      {"unknown capability", R"({"process":{"capabilities":{"effective":["CAP_KILL","CAP_FLY"]}}})",
       "field `process.capabilities.effective[1]`: unknown capability `CAP_FLY`"},
      {"lower-case capability", R"({"process":{"capabilities":{"ambient":["cap_kill"]}}})",
       "field `process.capabilities.ambient[0]`: unknown capability `cap_kill`"},
      {"unknown rlimit", R"({"process":{"rlimits":[{"type":"RLIMIT_FOO","hard":1,"soft":1}]}})",
       "field `process.rlimits[0].type`: unknown rlimit `RLIMIT_FOO`"},
      {"duplicate rlimit",
       R"({"process":{"rlimits":[{"type":"RLIMIT_NOFILE","hard":1,"soft":1},{"type":"RLIMIT_NOFILE","hard":2,"soft":2}]}})",
       "field `process.rlimits[1].type`: duplicate rlimit `RLIMIT_NOFILE`"},
      {"rlimit hard a string",
       R"({"process":{"rlimits":[{"type":"RLIMIT_CORE","hard":0,"soft":0},{"type":"RLIMIT_NOFILE","hard":"1024","soft":1}]}})",
       "field `process.rlimits[1].hard`: expected an integer"},
      {"rlimit soft negative", R"({"process":{"rlimits":[{"type":"RLIMIT_NOFILE","hard":1,"soft":-1}]}})",
       "field `process.rlimits[0].soft`: must not be negative"},
      {"rlimit soft above hard", R"({"process":{"rlimits":[{"type":"RLIMIT_NOFILE","hard":1024,"soft":2048}]}})",
       "field `process.rlimits[0].soft`: 2048 is above the hard limit 1024"},
      {"oomScoreAdj out of range", R"({"process":{"oomScoreAdj":1001}})",
       "field `process.oomScoreAdj`: expected -1000..1000"},
      {"mount destination relative", R"({"mounts":[{"destination":"/proc"},{"destination":"proc","type":"proc"}]})",
       "field `mounts[1].destination`: expected an absolute path, got `proc`"},
      {"mount destination missing", R"({"mounts":[{"type":"tmpfs"}]})", "field `mounts[0].destination`: missing"},
      {"mount options a string", R"({"mounts":[{"destination":"/x","options":"ro"}]})",
       "field `mounts[0].options`: expected an array of strings, got string"},
      {"mounts an object", R"({"mounts":{}})", "field `mounts`: expected an array, got object"},
      {"hook path relative", R"({"hooks":{"createRuntime":[{"path":"hook"}]}})",
       "field `hooks.createRuntime[0].path`: expected an absolute path, got `hook`"},
      {"hook timeout zero", R"({"hooks":{"poststop":[{"path":"/bin/true","timeout":0}]}})",
       "field `hooks.poststop[0].timeout`: must be greater than zero"},
      {"hooks list an object", R"({"hooks":{"prestart":{}}})", "field `hooks.prestart`: expected an array, got object"},
      {"annotation a number", R"({"annotations":{"a":1}})", "field `annotations.a`: expected a string, got number"},
      {"hostname without a uts namespace", R"({"linux":{"namespaces":[{"type":"user"}]}})",
       "field `hostname`: needs a uts namespace in `linux.namespaces`"},
      {"linux an array", R"({"linux":[]})", "field `linux`: expected an object, got array"},
      {"unknown namespace", R"({"linux":{"namespaces":[{"type":"pid"},{"type":"uts"},{"type":"net"}]}})",
       "field `linux.namespaces[2].type`: unknown namespace type `net`"},
      {"duplicate namespace", R"({"linux":{"namespaces":[{"type":"pid"},{"type":"pid"}]}})",
       "field `linux.namespaces[1].type`: duplicate namespace type `pid`"},
      {"namespace path relative", R"({"linux":{"namespaces":[{"type":"network","path":"proc/1/ns/net"}]}})",
       "field `linux.namespaces[0].path`: expected an absolute path, got `proc/1/ns/net`"},
      {"mapping with size 0", R"({"linux":{"uidMappings":[{"containerID":0,"hostID":1000,"size":0}]}})",
       "field `linux.uidMappings[0].size`: must be greater than zero"},
      {"mapping size a string", R"({"linux":{"uidMappings":[{"containerID":0,"hostID":1000,"size":"1"}]}})",
       "field `linux.uidMappings[0].size`: expected an integer"},
      {"mapping hostID missing", R"({"linux":{"gidMappings":[{"containerID":0,"size":1}]}})",
       "field `linux.gidMappings[0].hostID`: missing"},
      {"mappings without a user namespace", R"({"hostname":null,"linux":{"namespaces":[{"type":"pid"}]}})",
       "field `linux.uidMappings`: needs a user namespace in `linux.namespaces`"},
      {"device type x", R"({"linux":{"devices":[{"type":"x","path":"/dev/x","major":1,"minor":1}]}})",
       "field `linux.devices[0].type`: unknown device type `x`: expected c, b, u or p"},
      {"device without major", R"({"linux":{"devices":[{"type":"c","path":"/dev/x","minor":1}]}})",
       "field `linux.devices[0].major`: missing"},
      {"device path relative", R"({"linux":{"devices":[{"type":"p","path":"dev/fifo"}]}})",
       "field `linux.devices[0].path`: expected an absolute path, got `dev/fifo`"},
      {"device rule without allow", R"({"linux":{"resources":{"devices":[{"access":"rwm"}]}}})",
       "field `linux.resources.devices[0].allow`: missing"},
      {"device rule access", R"({"linux":{"resources":{"devices":[{"allow":true,"access":"rwx"}]}}})",
       "field `linux.resources.devices[0].access`: expected letters from `rwm`, got `rwx`"},
      {"memory limit a string", R"({"linux":{"resources":{"memory":{"limit":"1g"}}}})",
       "field `linux.resources.memory.limit`: expected an integer, got string"},
      {"cpu shares negative", R"({"linux":{"resources":{"cpu":{"shares":-2}}}})",
       "field `linux.resources.cpu.shares`: must not be negative"},
      {"pids without limit", R"({"linux":{"resources":{"pids":{}}}})", "field `linux.resources.pids.limit`: missing"},
      {"blockIO weight too big", R"({"linux":{"resources":{"blockIO":{"weight":70000}}}})",
       "field `linux.resources.blockIO.weight`: out of range for a 16-bit value"},
      {"sysctl value a number", R"({"linux":{"sysctl":{"net.ipv4.ip_forward":1}}})",
       "field `linux.sysctl.net.ipv4.ip_forward`: expected a string, got number"},
      {"masked path relative", R"({"linux":{"maskedPaths":["/proc/kcore","proc/keys"]}})",
       "field `linux.maskedPaths[1]`: expected an absolute path, got `proc/keys`"},
      {"bad rootfsPropagation", R"({"linux":{"rootfsPropagation":"sideways"}})",
       "field `linux.rootfsPropagation`: unknown propagation `sideways`: expected one of private, rprivate, "
       "slave, rslave, shared, rshared, unbindable, runbindable"},
      {"seccomp without defaultAction", R"({"linux":{"seccomp":{}}})", "field `linux.seccomp.defaultAction`: missing"},
      {"seccomp unknown default action", R"({"linux":{"seccomp":{"defaultAction":"ALLOW"}}})",
       "field `linux.seccomp.defaultAction`: unknown action `ALLOW`"},
      {"seccomp unknown action",
       R"({"linux":{"seccomp":{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["ptrace"],"action":"SCMP_ACT_MAYBE"}]}}})",
       "field `linux.seccomp.syscalls[0].action`: unknown action `SCMP_ACT_MAYBE`"},
      {"seccomp syscall without names",
       R"({"linux":{"seccomp":{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":[],"action":"SCMP_ACT_LOG"}]}}})",
       "field `linux.seccomp.syscalls[0].names`: must not be empty"},
      {"seccomp unknown operator",
       R"({"linux":{"seccomp":{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["x"],"action":"SCMP_ACT_KILL",)"
       R"("args":[{"index":0,"value":1,"op":"SCMP_CMP_ABOUT"}]}]}}})",
       "field `linux.seccomp.syscalls[0].args[0].op`: unknown operator `SCMP_CMP_ABOUT`"},
      {"seccomp argument index 6",
       R"({"linux":{"seccomp":{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["x"],"action":"SCMP_ACT_KILL",)"
       R"("args":[{"index":6,"value":1,"op":"SCMP_CMP_EQ"}]}]}}})",
       "field `linux.seccomp.syscalls[0].args[0].index`: expected 0..5"},
      {"seccomp errnoRet a string",
       R"({"linux":{"seccomp":{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["x"],"action":"SCMP_ACT_ERRNO",)"
       R"("errnoRet":"EPERM"}]}}})",
       "field `linux.seccomp.syscalls[0].errnoRet`: expected an integer, got string"},
  }));
  const std::string doc = c.patch.empty() ? c.raw : patched(c.patch);
  CAPTURE(c.name, doc);
  REQUIRE_THROWS_WITH(parse_runtime_spec(doc), Catch::Contains(c.message));
  REQUIRE_THROWS_WITH(parse_runtime_spec(doc), Catch::StartsWith("parsing runtime config: "));
  CHECK(kind_of_failure([&] { parse_runtime_spec(doc); }) == pod::ErrorKind::invalid_input);
}
