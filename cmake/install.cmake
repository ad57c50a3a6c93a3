# cmake/install.cmake — what `cmake --install` puts where (GNUInstallDirs), the files the
# build generates from the binary (man page, shell completions) and the CPack .deb.
# Included from CMakeLists.txt.
#
#   cmake --install build --prefix /usr/local
#   cpack --config build/CPackConfig.cmake        # cpsync_<version>-1_<arch>.deb
include(GNUInstallDirs)

install(TARGETS cpsync RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR})

# The man page and the completions come from the binary itself (`cpsync man`, `cpsync
# completion SHELL`), so they cannot list a command or flag the binary does not have. A
# cross-compiled binary cannot run here: then they are neither built nor installed.
if(NOT CMAKE_CROSSCOMPILING)
  set(CPSYNC_GENERATED_DIR ${CMAKE_BINARY_DIR}/generated)
  set(CPSYNC_GENERATED ${CPSYNC_GENERATED_DIR}/cpsync.1 ${CPSYNC_GENERATED_DIR}/cpsync.1.gz
      ${CPSYNC_GENERATED_DIR}/cpsync.bash ${CPSYNC_GENERATED_DIR}/_cpsync
      ${CPSYNC_GENERATED_DIR}/cpsync.fish)
  add_custom_command(
    OUTPUT ${CPSYNC_GENERATED}
    COMMAND ${CMAKE_COMMAND} -DCPSYNC=$<TARGET_FILE:cpsync>
            -DUSAGE=${PROJECT_SOURCE_DIR}/docs/usage.md -DOUT_DIR=${CPSYNC_GENERATED_DIR}
            -P ${PROJECT_SOURCE_DIR}/cmake/generate_docs.cmake
    DEPENDS cpsync ${PROJECT_SOURCE_DIR}/docs/usage.md
            ${PROJECT_SOURCE_DIR}/cmake/generate_docs.cmake
    COMMENT "Generating the man page and shell completions from cpsync"
    VERBATIM)
  add_custom_target(cpsync_generated ALL DEPENDS ${CPSYNC_GENERATED})
  install(FILES ${CPSYNC_GENERATED_DIR}/cpsync.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
  install(FILES ${CPSYNC_GENERATED_DIR}/cpsync.bash
          DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME cpsync)
  install(FILES ${CPSYNC_GENERATED_DIR}/_cpsync
          DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/site-functions)
  install(FILES ${CPSYNC_GENERATED_DIR}/cpsync.fish
          DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
endif()

# The .deb. Its Depends line is dpkg-shlibdeps' reading of the binary's libraries (dpkg-dev),
# so it names the packages of the system it was built on, with their minimum versions.
set(CPSYNC_DEB_MAINTAINER "cpsync maintainers <maintainers@cpsync.invalid>"
    CACHE STRING "Maintainer field of the .deb")
# debian/copyright (machine-readable format) in the doc directory, as Debian policy asks:
# cpsync's stanzas from cmake/deb_copyright.in, then the full texts of the licences of the
# header-only libraries compiled in, taken from those libraries' Debian copyright files.
set(CPSYNC_DEB_COPYRIGHT ${CMAKE_BINARY_DIR}/generated/copyright)
configure_file(${PROJECT_SOURCE_DIR}/cmake/deb_copyright.in ${CPSYNC_DEB_COPYRIGHT} @ONLY)
foreach(pair "libcli11-dev|BSD-3-clause" "nlohmann-json3-dev|Expat")
  string(REPLACE "|" ";" pair "${pair}")
  list(GET pair 0 pkg)
  list(GET pair 1 licence)
  set(from /usr/share/doc/${pkg}/copyright)
  if(NOT EXISTS ${from})
    message(FATAL_ERROR "${from} missing: the .deb's copyright file quotes it (scripts/install-deps)")
  endif()
  file(READ ${from} text)
  # The stand-alone paragraph "License: NAME" with the text as indented lines.
  string(REGEX MATCH "
License: ${licence}
( [^
]*
)+" para "${text}")
  if(para STREQUAL "")
    message(FATAL_ERROR "no ${licence} licence text in ${from}")
  endif()
  file(APPEND ${CPSYNC_DEB_COPYRIGHT} "${para}")
endforeach()
install(FILES ${CPSYNC_DEB_COPYRIGHT} DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME cpsync)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${CPSYNC_DEB_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPSYNC_DEB_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "copy and mirror object storage between clouds (S3, Azure Blob, OSS)")
set(CPACK_PACKAGE_DESCRIPTION
    "cpsync copies and mirrors object storage between clouds: S3 and S3-compatible stores, \
Azure Blob Storage, Alibaba Cloud OSS and the local filesystem, any remote to any remote. \
It streams without staging on disk, resumes interrupted transfers, and on a second run \
touches only what changed. Its commands and flags follow rclone's.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Not libraries, so not found by shlibdeps: the CA certificates for TLS to the clouds and
# /etc/mime.types for the Content-Type of uploads from local files.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "ca-certificates, media-types")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion")
include(CPack)
