#!/bin/sh
# Prints the jlink --exclude-resources pattern that drops java.xml's implementation (Xerces, Xalan, XSLTC with
# its BCEL copy, the XPath engine, the StAX parser, the JDK's catalog of W3C DTDs and schemas) and keeps its API
# (javax.xml.*, org.w3c.*, org.xml.*, jdk.xml.internal): service/Dockerfile says why the service can go without it.
# jlink refuses a module whose resources leave out a package its descriptor lists ("descriptor indicates the set
# of packages is ..., but module contains packages ..."), and the descriptor cannot be changed: so the pattern
# keeps the smallest resource of each implementation package and excludes every other one.
# POSIX sh with awk, sed, sort and paste: it runs in the build stage, whose offline stand-in has no bash.
# Usage: java-xml-impl-excludes.sh MODULES   MODULES = a jimage holding java.xml, e.g. "$JAVA_HOME/lib/modules"
set -eu

if [ $# -ne 1 ] || [ ! -f "$1" ]; then
  echo "usage: java-xml-impl-excludes.sh MODULES   (a jimage file with java.xml, e.g. \$JAVA_HOME/lib/modules)" >&2
  exit 2
fi

impl_dirs='com/sun/org/apache|com/sun/xml/internal|com/sun/java_cup|jdk/xml/internal/jdkcatalog'

# Rows "Offset Size Compressed Entry" under a "Module: NAME" line; Size is the uncompressed size.
# jimage prints its errors on stdout.
listing=$(jimage list --verbose "$1") || { echo "java-xml-impl-excludes.sh: jimage cannot list $1: $listing" >&2; exit 1; }

# The kept names go into a regular expression: "." and "$" in them are matched literally.
kept=$(printf '%s\n' "$listing" | awk -v dirs="^($impl_dirs)/" '
  /^Module: / { module = $2; next }
  module == "java.xml" && NF == 4 && $1 ~ /^[0-9]+$/ && $4 ~ dirs {
    package = $4; sub(/\/[^\/]*$/, "", package)
    if (!(package in size) || $2 + 0 < size[package] || ($2 + 0 == size[package] && $4 < kept[package])) {
      size[package] = $2 + 0; kept[package] = $4
    }
  }
  END { for (package in kept) print kept[package] }' | LC_ALL=C sort | sed 's/[.$]/[&]/g' | paste -s -d '|' -)

if [ -z "$kept" ]; then
  echo "java-xml-impl-excludes.sh: no java.xml implementation resources under ($impl_dirs) in $1" >&2
  exit 1
fi

# One regular expression (jlink splits the list at commas, so it holds none): every resource under the
# implementation directories except the kept ones.
printf 'regex:/java[.]xml/(?!(%s)$)(%s)/.*\n' "$kept" "$impl_dirs"
