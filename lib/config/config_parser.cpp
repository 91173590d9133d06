#include "config/config_parser.hpp"

#include <cerrno>
#include <fstream>
#include <sstream>

#include "core/sys_error.hpp"

namespace kit::config {
namespace {

// nginx's limit on nesting is its context structure; the kit's deepest is
// http { server { location { } } }. Deeper nesting is an error before the stack can grow.
constexpr int kMaxDepth = 16;

enum class TokenKind { kWord, kSemicolon, kOpen, kClose, kEnd };

struct Token {
  TokenKind kind;
  std::string text;
  int line;
  bool quoted = false;
};

class Lexer {
 public:
  Lexer(std::string_view text, const std::string& file) : text_(text), file_(file) {}

  Token next() {
    skip_space_and_comments();
    if (pos_ >= text_.size()) return {TokenKind::kEnd, "", line_};
    const char c = text_[pos_];
    switch (c) {
      case ';':
        ++pos_;
        return {TokenKind::kSemicolon, ";", line_};
      case '{':
        ++pos_;
        return {TokenKind::kOpen, "{", line_};
      case '}':
        ++pos_;
        return {TokenKind::kClose, "}", line_};
      case '"':
      case '\'':
        return quoted(c);
      default:
        return word();
    }
  }

  [[noreturn]] void fail(int line, const std::string& message) const {
    throw ConfigError(file_, line, message);
  }

 private:
  void skip_space_and_comments() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '\n') {
        ++line_;
        ++pos_;
      } else if (c == ' ' || c == '\t' || c == '\r') {
        ++pos_;
      } else if (c == '#') {
        while (pos_ < text_.size() && text_[pos_] != '\n')
          ++pos_;
      } else {
        return;
      }
    }
  }

  Token word() {
    const int line = line_;
    std::string out;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ';' || c == '{' || c == '}') {
        break;
      }
      if (c == '"' || c == '\'') fail(line_, "unexpected quote in the middle of a word");
      out.push_back(c);
      ++pos_;
    }
    return {TokenKind::kWord, std::move(out), line};
  }

  Token quoted(char quote) {
    const int line = line_;
    std::string out;
    ++pos_;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      char c = text_[pos_++];
      if (c == '\n') ++line_;
      if (c == '\\' && pos_ < text_.size()) {
        const char e = text_[pos_++];
        c = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e;
      }
      out.push_back(c);
    }
    if (pos_ >= text_.size()) fail(line, "unexpected end of file, unterminated quoted string");
    ++pos_;  // the closing quote
    if (pos_ < text_.size()) {
      const char after = text_[pos_];
      if (after != ' ' && after != '\t' && after != '\r' && after != '\n' && after != ';' &&
          after != '{' && after != '}') {
        fail(line_, "unexpected character after a quoted string");
      }
    }
    return {TokenKind::kWord, std::move(out), line, true};
  }

  std::string_view text_;
  const std::string& file_;
  size_t pos_ = 0;
  int line_ = 1;
};

// Directives until "}" (depth > 0) or the end of the file (depth 0).
std::vector<Directive> parse_block(Lexer& lex, const std::string& file, int depth) {
  if (depth > kMaxDepth) lex.fail(0, "blocks are nested too deeply");
  std::vector<Directive> out;
  for (;;) {
    Token t = lex.next();
    if (t.kind == TokenKind::kEnd) {
      if (depth > 0) lex.fail(t.line, "unexpected end of file, expecting \"}\"");
      return out;
    }
    if (t.kind == TokenKind::kClose) {
      if (depth == 0) lex.fail(t.line, "unexpected \"}\"");
      return out;
    }
    if (t.kind != TokenKind::kWord) lex.fail(t.line, "unexpected \"" + t.text + "\"");
    Directive d;
    d.name = std::move(t.text);
    d.file = file;
    d.line = t.line;
    for (;;) {
      Token a = lex.next();
      if (a.kind == TokenKind::kWord) {
        d.args.push_back(std::move(a.text));
      } else if (a.kind == TokenKind::kSemicolon) {
        break;
      } else if (a.kind == TokenKind::kOpen) {
        d.has_block = true;
        d.block = parse_block(lex, file, depth + 1);
        break;
      } else if (a.kind == TokenKind::kEnd) {
        lex.fail(a.line, "unexpected end of file, expecting \";\" or \"}\"");
      } else {
        lex.fail(a.line, "directive \"" + d.name + "\" is not terminated by \";\"");
      }
    }
    out.push_back(std::move(d));
  }
}

}  // namespace

ConfigError::ConfigError(const std::string& file, int line, const std::string& message)
    : std::runtime_error(file + ":" + std::to_string(line) + ": " + message),
      file_(file),
      line_(line) {
}

std::vector<Directive> parse_config(std::string_view text, const std::string& file) {
  Lexer lex(text, file);
  return parse_block(lex, file, 0);
}

std::vector<Directive> parse_config_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    throw ConfigError(
        path, 0, "cannot open the file (" + std::to_string(err) + ": " + errno_text(err) + ")");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_config(text.str(), path);
}

}  // namespace kit::config
