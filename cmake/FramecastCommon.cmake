# One INTERFACE target carries the language level, warnings, Qt strictness
# defines and sanitizer flags for every Framecast target.
add_library(framecast_common INTERFACE)
add_library(Framecast::Common ALIAS framecast_common)

target_compile_features(framecast_common INTERFACE cxx_std_17)
target_compile_definitions(framecast_common INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_NO_URL_CAST_FROM_STRING
    QT_USE_QSTRINGBUILDER
    QT_DISABLE_DEPRECATED_UP_TO=0x060400
    FRAMECAST_VERSION="${PROJECT_VERSION}")

if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(framecast_common INTERFACE
        -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
        -Wcast-align -Woverloaded-virtual -Wformat=2 -Wimplicit-fallthrough)
    if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
        # qCDebug(cat) << ... expands to a variadic macro call without arguments.
        target_compile_options(framecast_common INTERFACE -Wno-gnu-zero-variadic-macro-arguments)
    endif()
    if(FRAMECAST_WERROR)
        target_compile_options(framecast_common INTERFACE -Werror)
    endif()
    if(FRAMECAST_SANITIZERS)
        target_compile_options(framecast_common INTERFACE
            -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
        target_link_options(framecast_common INTERFACE -fsanitize=address,undefined)
    endif()
    if(FRAMECAST_BUILD_FUZZERS)
        # Coverage for libFuzzer in every library; the fuzz target adds the driver.
        target_compile_options(framecast_common INTERFACE
            -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
        target_link_options(framecast_common INTERFACE -fsanitize=address,undefined)
    endif()
elseif(MSVC)
    target_compile_options(framecast_common INTERFACE /W4 /utf-8 /permissive-)
    if(FRAMECAST_WERROR)
        target_compile_options(framecast_common INTERFACE /WX)
    endif()
endif()

# framecast_add_runtime_module(TARGET OUTPUT_NAME SOURCES … LIBS …)
# A module the Linux program loads on first use (demo/RuntimeModule.h): built
# next to the program, installed in lib/framecast. Only its entry point is
# exported; the static libraries in it keep their symbols inside (no
# interposition with the program's own copies).
function(framecast_add_runtime_module target output)
    cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
    add_library(${target} MODULE ${ARG_SOURCES})
    target_link_libraries(${target} PRIVATE ${ARG_LIBS})
    target_link_options(${target} PRIVATE -Wl,--exclude-libs,ALL)
    set_target_properties(${target} PROPERTIES
        OUTPUT_NAME ${output} PREFIX ""
        LIBRARY_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}"
        CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
    install(TARGETS ${target} LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}/framecast")
endfunction()
