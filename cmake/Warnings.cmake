# Picky warnings for every target of the project, errors in CI.
set(TURTLECAP_WARNINGS
  -Wall -Wextra -Wformat=2 -Wshadow -Wpointer-arith -Wcast-qual
  -Wstrict-prototypes -Wmissing-prototypes -Wwrite-strings -Wundef
  -Wvla -Wimplicit-fallthrough -Wnull-dereference -Wdouble-promotion
  -Wno-unused-parameter -Wno-missing-field-initializers
  # curl's picky set, where it fits: every narrowing or sign change says
  # so with a cast, every function has a prototype
  -Wconversion -Wsign-conversion -Wmissing-declarations -Wcast-align)
add_compile_options(${TURTLECAP_WARNINGS})
add_compile_definitions(_GNU_SOURCE)
if(TURTLECAP_WERROR)
  add_compile_options(-Werror)
endif()
if(CMAKE_C_COMPILER_ID STREQUAL "GNU")
  add_compile_options(-Wduplicated-cond -Wlogical-op -Wformat-truncation=2)
else()
  # clang's -Wconversion also takes CHECK(!"what failed") for a mistake
  add_compile_options(-Wno-string-conversion)
endif()
add_compile_options(-fstack-protector-strong)
add_compile_definitions($<$<NOT:$<CONFIG:Debug>>:_FORTIFY_SOURCE=2>)
