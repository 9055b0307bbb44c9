//! Tools for submitters: schema, template, Excel. (Being written.)
