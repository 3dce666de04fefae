// The one translation unit that compiles the Boost libraries we use as source (Asio, Asio SSL,
// Beast, JSON, URL). Everything else includes their headers only, which keeps the build fast
// and keeps private copies of these symbols hidden inside each binary.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
#include <boost/json/src.hpp>
#include <boost/url/src.hpp>
