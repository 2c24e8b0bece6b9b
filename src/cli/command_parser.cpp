// A single left-to-right pass over the text: the lexer state is the word
// being built, the open brackets, and the commands finished so far.
#include "cli/command_parser.hpp"

#include <utility>

namespace strata::cli {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }
bool is_opener(char c) { return c == '{' || c == '['; }
bool is_closer(char c) { return c == '}' || c == ']'; }
char closer_for(char opener) { return opener == '{' ? '}' : ']'; }

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  std::vector<CommandLine> run() {
    while (pos_ < text_.size()) {
      if (brackets_.empty()) {
        step_outside();
      } else {
        step_inside();
      }
    }
    if (!brackets_.empty())
      throw SyntaxError("unclosed '" + std::string(1, brackets_.back()) + "' in: " + std::string(text_));
    end_command();
    return std::move(commands_);
  }

 private:
  // Outside brackets: blanks split words, ';' and newlines split commands.
  void step_outside() {
    char c = text_[pos_];
    if (is_blank(c)) {
      end_word();
      ++pos_;
    } else if (c == ';' || c == '\n') {
      end_command();
      ++pos_;
    } else if (c == '\'') {
      read_single_quoted();
    } else if (c == '"') {
      read_double_quoted();
    } else if (c == '\\' && pos_ + 1 < text_.size()) {
      append(text_[pos_ + 1], text_.substr(pos_, 2));
      pos_ += 2;
    } else {
      if (is_opener(c)) brackets_.push_back(c);
      append(c, text_.substr(pos_, 1));
      ++pos_;
    }
  }

  // Inside brackets everything belongs to the word; JSON strings are copied
  // whole so that brackets inside them do not count.
  void step_inside() {
    char c = text_[pos_];
    if (c == '"') {
      std::string_view s = json_string_at(pos_);
      append_verbatim(s);
      pos_ += s.size();
      return;
    }
    if (is_opener(c)) {
      brackets_.push_back(c);
    } else if (is_closer(c)) {
      if (c != closer_for(brackets_.back()))
        throw SyntaxError("'" + std::string(1, c) + "' does not close '" + std::string(1, brackets_.back()) +
                          "' at offset " + std::to_string(pos_) + " in: " + std::string(text_));
      brackets_.pop_back();
    }
    append_verbatim(text_.substr(pos_, 1));
    ++pos_;
  }

  void read_single_quoted() {
    std::size_t close = text_.find('\'', pos_ + 1);
    if (close == std::string_view::npos) throw unterminated('\'');
    std::string_view inner = text_.substr(pos_ + 1, close - pos_ - 1);
    started_ = true;
    word_.append(inner);
    json_.append(inner);
    pos_ = close + 1;
  }

  // The word reading drops the quotes and resolves \" and \\; the JSON
  // reading keeps the literal as written.
  void read_double_quoted() {
    std::string_view literal = json_string_at(pos_);
    started_ = true;
    json_.append(literal);
    std::string_view inner = literal.substr(1, literal.size() - 2);
    for (std::size_t i = 0; i < inner.size(); ++i) {
      if (inner[i] == '\\' && i + 1 < inner.size() && (inner[i + 1] == '"' || inner[i + 1] == '\\')) ++i;
      word_ += inner[i];
    }
    pos_ += literal.size();
  }

  // The "..." literal starting at `at`, quotes included.
  std::string_view json_string_at(std::size_t at) const {
    for (std::size_t i = at + 1; i < text_.size(); ++i) {
      if (text_[i] == '\\') {
        ++i;
      } else if (text_[i] == '"') {
        return text_.substr(at, i - at + 1);
      }
    }
    throw unterminated('"');
  }

  SyntaxError unterminated(char quote) const {
    return SyntaxError("unterminated " + std::string(1, quote) + " quote starting at offset " +
                       std::to_string(pos_) + " in: " + std::string(text_));
  }

  void append(char word_char, std::string_view json_text) {
    started_ = true;
    word_ += word_char;
    json_.append(json_text);
  }
  void append_verbatim(std::string_view s) {
    started_ = true;
    word_.append(s);
    json_.append(s);
  }

  void end_word() {
    if (!started_) return;
    current_.push_back(Token{std::move(word_), std::move(json_)});
    word_.clear();
    json_.clear();
    started_ = false;
  }
  void end_command() {
    end_word();
    if (!current_.empty()) commands_.push_back(std::move(current_));
    current_.clear();
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::string brackets_;  // open brackets, innermost last
  bool started_ = false;  // a word is in progress (it may be empty: '')
  std::string word_;
  std::string json_;
  CommandLine current_;
  std::vector<CommandLine> commands_;
};

}  // namespace

std::vector<CommandLine> parse_commands(std::string_view text) { return Lexer(text).run(); }

}  // namespace strata::cli
