// Internal to the builder: running one stage of the Containerfile.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "builder/stage.hpp"
#include "libcore/containerfile/ignore.hpp"

namespace pod::builder {

struct StagePlan {
  cf::Instruction from;
  std::string base;                          // FROM's image or stage, substituted
  std::vector<cf::Instruction> instructions;  // after FROM
  int stage_count = 1;
  cf::Lookup global_lookup;                  // ARGs before the first FROM
  std::set<std::string>* used_args = nullptr;  // --build-arg names some ARG declared
};

struct StepCounter {
  int done = 0;
  int total = 0;
};

// Runs the stage's instructions on stage.image (set from FROM). Throws Error naming
// FILE:LINE, StepFailed for a failing RUN.
void run_stage(Stage& stage, const StagePlan& plan, StepCounter& steps, const core::containerfile::IgnoreRules& ignore);

}  // namespace pod::builder
