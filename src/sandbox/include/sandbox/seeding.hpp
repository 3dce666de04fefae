// Deterministic test data: the same SeedSpec, on the same account state, gives the same
// contacts and tickets (ids, fields; timestamps relative to `now`).
#pragma once

#include "sandbox/account.hpp"
#include "sandbox/sandbox.hpp"

namespace fdsandbox {

// What every account starts with: four agents (the API key's owner first), three groups and
// three companies.
void seed_default_directory(Account& account, UnixSeconds now);

// Adds spec.agents, spec.groups and spec.companies to the directory, then spec.contacts
// contacts (some in a company), then spec.tickets tickets (requesters taken round-robin from
// the seeded contacts; from all live contacts when none are seeded; one contact is made when
// the account has none). Throws std::invalid_argument for a spec that cannot apply.
void seed_account(Account& account, const SeedSpec& spec, UnixSeconds now);

}  // namespace fdsandbox
