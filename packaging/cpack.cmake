# The Debian package: cpack -G DEB in a build configured with
# -DCMAKE_INSTALL_PREFIX=/usr (tests/integration/package.sh). It holds
# what `cmake --install` installs; its postinst gives the extcap to group
# wireshark (mode 0750) with file capabilities, as Debian does for dumpcap.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME turtlecap)
set(CPACK_PACKAGE_VENDOR turtlecap)
set(CPACK_PACKAGE_CONTACT "turtlecap maintainers <turtlecap@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION
    "Lists every container (docker, podman, containerd, CRI) and network\n\
namespace of the host as a Wireshark capture interface and captures it\n\
from inside its namespace, as pcapng whose interfaces say where the\n\
traffic lives; with the turtle dissector plugin for those fields.\n\
Members of group wireshark can capture every container of the host.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://example.invalid/turtlecap")
# absolute install folders (Wireshark's) go into the package as they are
set(CPACK_SET_DESTDIR ON)
set(CPACK_PACKAGING_INSTALL_PREFIX "${CMAKE_INSTALL_PREFIX}")
# linked libraries (jansson, curl, protobuf-c, glib, libwireshark) from
# dpkg-shlibdeps; libpcap is dlopen()ed, setcap runs in postinst
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libpcap0.8 (>= 1.10), wireshark-common (>= 4.0), wireshark-common (<< 4.1), libcap2-bin, adduser")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "tshark | wireshark")

set(TURTLECAP_FILE_CAPS "cap_sys_admin,cap_net_raw,cap_sys_ptrace,cap_dac_override+p")
foreach(script postinst postrm)
  configure_file("${CMAKE_CURRENT_LIST_DIR}/debian/${script}.in"
                 "${PROJECT_BINARY_DIR}/debian/${script}" @ONLY
                 FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE
                 GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
endforeach()
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${PROJECT_BINARY_DIR}/debian/postinst;${PROJECT_BINARY_DIR}/debian/postrm")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
