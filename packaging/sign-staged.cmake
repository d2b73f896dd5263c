# CPack pre-build script (CPACK_PRE_BUILD_SCRIPTS): signs the code CPack has
# just installed and deployed into its staging folder, before it packs it.
# Signing anything earlier is lost: cpack installs and deploys again (the
# deploy tools rewrite the binaries), so only this copy ends up in the package.
#
# macOS: codesign, inside out (every dylib and plug-in, every framework, the
#   demo server, then the bundle), never --deep. With FRAMECAST_CODESIGN_IDENTITY
#   (a "Developer ID Application: ..." identity in an unlocked keychain) it signs
#   for notarization (hardened runtime, secure timestamp); without it ad hoc
#   ("-"), which Apple Silicon needs to run binaries macdeployqt has relinked.
# Windows: signtool, every .exe and .dll, when FRAMECAST_SIGNTOOL_PFX names a
#   .pfx file (password in FRAMECAST_SIGNTOOL_PASSWORD, timestamp server in
#   FRAMECAST_TIMESTAMP_URL); without it nothing is signed. The installer
#   itself is signed after cpack (see .github/workflows/build.yml).
set(stage "${CPACK_TEMPORARY_INSTALL_DIRECTORY}")
if(NOT stage)
    set(stage "${CPACK_TEMPORARY_DIRECTORY}")
endif()
if(NOT IS_DIRECTORY "${stage}")
    message(FATAL_ERROR "sign-staged: no staging folder (${stage})")
endif()

function(framecast_run)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
        list(JOIN ARGN " " shown)
        if(NOT "$ENV{FRAMECAST_SIGNTOOL_PASSWORD}" STREQUAL "")
            string(REPLACE "$ENV{FRAMECAST_SIGNTOOL_PASSWORD}" "***" shown "${shown}")
        endif()
        message(FATAL_ERROR "sign-staged: failed (${rc}): ${shown}")
    endif()
endfunction()

if(APPLE)
    set(identity "$ENV{FRAMECAST_CODESIGN_IDENTITY}")
    set(options --force)
    if(identity)
        list(APPEND options --options runtime --timestamp)
    else()
        set(identity "-")
    endif()
    file(GLOB apps LIST_DIRECTORIES true "${stage}/*.app" "${stage}/*/*.app")
    if(NOT apps)
        message(FATAL_ERROR "sign-staged: no .app under ${stage}")
    endif()
    foreach(app IN LISTS apps)
        file(GLOB_RECURSE libraries "${app}/Contents/Frameworks/*.dylib" "${app}/Contents/PlugIns/*.dylib")
        file(GLOB frameworks LIST_DIRECTORIES true "${app}/Contents/Frameworks/*.framework")
        file(GLOB executables "${app}/Contents/MacOS/*")
        get_filename_component(main "${app}" NAME_WE)
        list(REMOVE_ITEM executables "${app}/Contents/MacOS/${main}")
        foreach(code IN LISTS libraries frameworks executables)
            framecast_run(codesign ${options} --sign "${identity}" "${code}")
        endforeach()
        framecast_run(codesign ${options} --sign "${identity}" "${app}")
        framecast_run(codesign --verify --strict --verbose=2 "${app}")
        message(STATUS "sign-staged: ${app} signed (${identity})")
    endforeach()
elseif(WIN32)
    set(pfx "$ENV{FRAMECAST_SIGNTOOL_PFX}")
    if(NOT pfx)
        message(STATUS "sign-staged: FRAMECAST_SIGNTOOL_PFX not set, nothing signed")
        return()
    endif()
    set(timestamp "$ENV{FRAMECAST_TIMESTAMP_URL}")
    if(NOT timestamp)
        set(timestamp "http://timestamp.digicert.com")
    endif()
    file(GLOB_RECURSE code "${stage}/*.exe" "${stage}/*.dll")
    # The Visual C++ runtime (and the redistributable windeployqt may copy)
    # is Microsoft's, signed by Microsoft.
    list(FILTER code EXCLUDE REGEX "/((vcruntime|msvcp|concrt|vccorlib)[^/]*\\.dll|vc_redist[^/]*\\.exe)$")
    set(password)
    if(DEFINED ENV{FRAMECAST_SIGNTOOL_PASSWORD} AND NOT "$ENV{FRAMECAST_SIGNTOOL_PASSWORD}" STREQUAL "")
        set(password /p "$ENV{FRAMECAST_SIGNTOOL_PASSWORD}")
    endif()
    framecast_run(signtool sign /fd sha256 /tr "${timestamp}" /td sha256 /f "${pfx}" ${password} ${code})
    list(LENGTH code count)
    message(STATUS "sign-staged: ${count} files signed")
endif()
