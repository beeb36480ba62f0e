# Picky warnings for every target of the project, errors in CI.
set(TURTLECAP_WARNINGS
  -Wall -Wextra -Wformat=2 -Wshadow -Wpointer-arith -Wcast-qual
  -Wstrict-prototypes -Wmissing-prototypes -Wwrite-strings -Wundef
  -Wvla -Wimplicit-fallthrough -Wnull-dereference -Wdouble-promotion
  -Wno-unused-parameter -Wno-missing-field-initializers)
add_compile_options(${TURTLECAP_WARNINGS})
add_compile_definitions(_GNU_SOURCE)
if(TURTLECAP_WERROR)
  add_compile_options(-Werror)
endif()
if(CMAKE_C_COMPILER_ID STREQUAL "GNU")
  add_compile_options(-Wduplicated-cond -Wlogical-op)
endif()
add_compile_options(-fstack-protector-strong)
add_compile_definitions($<$<NOT:$<CONFIG:Debug>>:_FORTIFY_SOURCE=2>)
