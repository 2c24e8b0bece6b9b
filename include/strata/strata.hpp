// StrataDB umbrella header: the whole public API.
#pragma once

#include <strata/command.hpp>
#include <strata/command_json.hpp>
#include <strata/database.hpp>
#include <strata/error.hpp>
#include <strata/facade.hpp>
#include <strata/options.hpp>
#include <strata/session.hpp>
#include <strata/transaction.hpp>
#include <strata/types.hpp>
#include <strata/value.hpp>
