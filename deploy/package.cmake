# The Debian package (cpack -G DEB in a build folder): the binary, the page, the systemd units,
# the nginx site, the example configuration; its library dependencies found by dpkg-shlibdeps.
include(GNUInstallDirs)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/static/ DESTINATION share/leaderboard/static)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/systemd/leaderboard-gateway@.service
              ${PROJECT_SOURCE_DIR}/deploy/systemd/leaderboard-webhooks.service
        DESTINATION lib/systemd/system)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/redis/persistence.conf ${PROJECT_SOURCE_DIR}/deploy/redis/cluster-node.conf DESTINATION share/leaderboard/redis)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/systemd/redis-server.service.d/leaderboard.conf
        DESTINATION share/leaderboard/systemd/redis-server.service.d)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/nginx/leaderboard.conf DESTINATION share/leaderboard/nginx)
install(FILES ${PROJECT_SOURCE_DIR}/examples/geekweek.json ${PROJECT_SOURCE_DIR}/examples/geekweek-prs.ndjson
              ${PROJECT_SOURCE_DIR}/examples/geekweek-rehearsal.ndjson ${PROJECT_SOURCE_DIR}/docs/deploy.md
              ${PROJECT_SOURCE_DIR}/examples/spring-camp-teams.csv ${PROJECT_SOURCE_DIR}/examples/spring-camp-participants.csv
              ${PROJECT_SOURCE_DIR}/examples/spring-camp-scores.csv
        DESTINATION share/doc/leaderboard/examples)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/examples/branding DESTINATION share/doc/leaderboard/examples)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME leaderboard)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "leaderboard maintainers <leaderboard@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "live contest leaderboards from merged pull requests, reproductions and judged scores")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # leaderboard_<version>_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION web)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)   # libhiredis0.14, libssl3, libqrencode4, libsimdjson14, ...
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "redis-server, nginx")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "redis-sentinel")
set(CPACK_OUTPUT_FILE_PREFIX ${CMAKE_BINARY_DIR}/package)
include(CPack)
