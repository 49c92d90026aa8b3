# SPDX-License-Identifier: MIT
# The Debian package: `cpack -G DEB` in a release build (scripts/package.sh) makes one
# memlog_<version>_<arch>.deb with everything `cmake --install` installs: memlog-monitor with
# its desktop entry, icon and AppStream metadata, and the library (headers, static library,
# CMake package `memlog`). Included at the end of the top-level CMakeLists.txt.
include(GNUInstallDirs)

# Debian wants the licence in /usr/share/doc/<package>/copyright.
set(_memlog_copyright ${PROJECT_BINARY_DIR}/packaging/copyright)
file(WRITE ${_memlog_copyright} [[
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: memlog

Files: *
Copyright: 2026 The memlog developers
License: MIT
 Permission is hereby granted, free of charge, to any person obtaining a copy of this software
 and associated documentation files (the "Software"), to deal in the Software without
 restriction, including without limitation the rights to use, copy, modify, merge, publish,
 distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the
 Software is furnished to do so, subject to the following conditions:
 .
 The above copyright notice and this permission notice shall be included in all copies or
 substantial portions of the Software.
 .
 THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING
 BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
 NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
 DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
 OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
]])
install(FILES ${_memlog_copyright} DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/memlog)

set(CPACK_GENERATOR DEB)  # plain `cpack` makes the .deb too
set(CPACK_PACKAGE_NAME memlog)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "The memlog developers")
# The synopsis: Debian wants it under 80 characters, without a leading article.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "fast in-memory append-only log (C++23) and a Qt monitor showing it live")
# The long description: lines under 80 characters (dpkg shows them as they are).
set(CPACK_PACKAGE_DESCRIPTION [[
memlog is a C++23 library: a thread-safe, append-only log held in memory,
in segments that are sealed when full and purged whole, with streams that
wait for new records.

This package holds memlog-monitor, a Qt 6 desktop application that shows
such a log working live (records arriving, segments sealing and being
purged, consumers keeping up or falling behind), reads real sources (stdin,
files, HTTP, Redis streams), mirrors to Redis and serves the log over HTTP
and WebSocket; and the library's headers, static library and CMake package
(find_package(memlog), target memlog::core).]])
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # memlog_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "The memlog developers <maintainers@memlog.invalid>")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends from the binary's shared libraries (dpkg-shlibdeps, from dpkg-dev), not typed by hand.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)

include(CPack)
