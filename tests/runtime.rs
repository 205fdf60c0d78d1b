//! Runtime tests of the generated client against real HTTP servers on 127.0.0.1.
