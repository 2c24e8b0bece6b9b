// The snake_case names of Command and Output alternatives ("op" and "type"
// in JSON), indexed like the variants.
#pragma once

#include <strata/command.hpp>

#include <boost/mp11/algorithm.hpp>

#include <cstddef>
#include <optional>
#include <string_view>

namespace strata::session_detail {

/// Index of the alternative `T` in the variant `V`.
template <class V, class T>
inline constexpr std::size_t index_in = boost::mp11::mp_find<V, T>::value;

std::string_view command_name_at(std::size_t index) noexcept;
std::string_view output_name_at(std::size_t index) noexcept;
std::optional<std::size_t> command_index_of(std::string_view name) noexcept;
std::optional<std::size_t> output_index_of(std::string_view name) noexcept;

template <class C>
std::string_view name_of() noexcept {
  return command_name_at(index_in<Command, C>);
}

}  // namespace strata::session_detail
