#pragma once
// Reading the SVG that the charts write back as XML, to count their parts and find their text.
#include <gtest/gtest.h>

#include <pugixml.hpp>
#include <string>
#include <vector>

namespace dikkat::testing {

class ParsedSvg {
 public:
  explicit ParsedSvg(const std::string& svg) {
    // parse_ws_pcdata keeps a text element whose whole content is a space.
    result_ = doc_.load_buffer(svg.data(), svg.size(), pugi::parse_default | pugi::parse_ws_pcdata,
                               pugi::encoding_utf8);
  }

  bool ok() const { return bool(result_); }
  std::string error() const { return result_.description(); }
  pugi::xml_node root() const { return doc_.child("svg"); }

  // Nodes matching an XPath query such as "//g[@class='cells']/rect".
  std::vector<pugi::xml_node> select(const std::string& xpath) const {
    std::vector<pugi::xml_node> nodes;
    for (const pugi::xpath_node& n : doc_.select_nodes(xpath.c_str())) nodes.push_back(n.node());
    return nodes;
  }
  size_t count(const std::string& xpath) const { return doc_.select_nodes(xpath.c_str()).size(); }

  // The content of every <text> element, in document order.
  std::vector<std::string> texts() const {
    std::vector<std::string> out;
    for (const pugi::xml_node& n : select("//text")) out.push_back(n.child_value());
    return out;
  }
  bool has_text(const std::string& content) const {
    for (const std::string& t : texts()) {
      if (t == content) return true;
    }
    return false;
  }

 private:
  pugi::xml_document doc_;
  pugi::xml_parse_result result_;
};

// Labels that have broken hand-written SVG before: markup characters, Turkish, CJK, an emoji,
// the visible-space symbol and a plain space.
inline const std::vector<std::string>& tricky_labels() {
  static const std::vector<std::string> labels = {"<",  "&", "\"", "'", "ş",
                                                  "漢", "😀", "␣",  " ", "a b"};
  return labels;
}

}  // namespace dikkat::testing
