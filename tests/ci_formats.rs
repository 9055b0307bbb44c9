//! SARIF, JUnit and GitHub reports. (Being written.)
